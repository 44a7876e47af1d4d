/**
 * The loopback address supertest's requests leave from on Linux (see
 * setupTests.ts): never the address the OpenAPI test proxy forwards from.
 */
export const TEST_CLIENT_ADDRESS = '127.0.0.2';
