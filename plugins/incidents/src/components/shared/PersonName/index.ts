export { PersonName, systemActorName } from './PersonName';
