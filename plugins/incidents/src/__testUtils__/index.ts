export * from './apis';
export * from './fixtures';
