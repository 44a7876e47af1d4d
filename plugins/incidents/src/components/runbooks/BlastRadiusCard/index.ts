export { BlastRadiusCard, BlastRadiusTeams } from './BlastRadiusCard';
