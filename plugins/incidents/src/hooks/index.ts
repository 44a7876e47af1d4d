export { useIncidentSignals } from './useIncidentSignals';
export { useIncidentPermissions } from './useIncidentPermissions';
export type { IncidentPermissions } from './useIncidentPermissions';
export { useRunAction } from './useRunAction';
export { useIncidentLink, usePostmortemLink } from './useIncidentLink';
export { useOwnershipGroups } from './useOwnershipGroups';
export { useCatalogComponents } from './useCatalogComponents';
export { useReadableText, useRefNames } from './useReadableText';
export { useCatalogUsers } from './useCatalogUsers';
