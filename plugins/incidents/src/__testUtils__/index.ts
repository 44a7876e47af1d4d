export * from './apis';
export * from './fixtures';
export * from './alerts';
export * from './metrics';
