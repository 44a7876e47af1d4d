import { createTestDatabases } from '../__testUtils__/databases';
import { GUEST, startMcpBackend } from '../__testUtils__/startMcpBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const TOOLS = [
  'incidents.acknowledge-incident',
  'incidents.add-incident-note',
  'incidents.find-related-postmortems',
  'incidents.get-incident',
  'incidents.get-postmortem',
  'incidents.list-incidents',
  'incidents.open-incident',
  'incidents.who-is-on-call',
];

describe.each(databases.eachSupportedId())(
  'the MCP tools on %p',
  databaseId => {
    let stop: (() => Promise<void>) | undefined;

    afterEach(async () => {
      await stop?.();
      stop = undefined;
    });

    async function start(options?: Parameters<typeof startMcpBackend>[1]) {
      const backend = await startMcpBackend(
        await databases.init(databaseId),
        options,
      );
      stop = backend.stop;
      return backend;
    }

    it('lists the tools with descriptions, described arguments and honest attributes', async () => {
      const { connect } = await start();
      const { client } = await connect(GUEST);

      const { tools } = await client.listTools();

      expect(tools.map(t => t.name).sort()).toEqual(TOOLS);
      const hints = Object.fromEntries(
        tools.map(t => [
          t.name.replace('incidents.', ''),
          [
            t.annotations?.readOnlyHint,
            t.annotations?.destructiveHint,
            t.annotations?.idempotentHint,
          ],
        ]),
      );
      // [readOnly, destructive, idempotent]
      expect(hints).toEqual({
        'who-is-on-call': [true, false, true],
        'list-incidents': [true, false, true],
        'get-incident': [true, false, true],
        'get-postmortem': [true, false, true],
        'find-related-postmortems': [true, false, true],
        'open-incident': [false, false, false],
        'acknowledge-incident': [false, false, true],
        'add-incident-note': [false, false, false],
      });
      for (const tool of tools) {
        expect(tool.description!.length).toBeGreaterThan(60);
        const properties = Object.entries(tool.inputSchema.properties ?? {});
        expect(properties.length).toBeGreaterThan(0);
        for (const [name, property] of properties) {
          expect([tool.name, name, (property as any).description]).toEqual([
            tool.name,
            name,
            expect.any(String),
          ]);
        }
      }
      const open = tools.find(t => t.name === 'incidents.open-incident')!;
      expect(open.inputSchema.required).toEqual(['title', 'severity']);
      expect((open.inputSchema.properties as any).severity.enum).toEqual([
        'sev1',
        'sev2',
        'sev3',
        'sev4',
        'sev5',
      ]);
    });

    it('offers and runs only the read-only tools when the backend filters actions', async () => {
      const { connect, http } = await start({
        actionsFilter: { include: [{ attributes: { readOnly: true } }] },
      });
      const { client, refused } = await connect(GUEST);

      const { tools } = await client.listTools();

      expect(tools.map(t => t.name).sort()).toEqual([
        'incidents.find-related-postmortems',
        'incidents.get-incident',
        'incidents.get-postmortem',
        'incidents.list-incidents',
        'incidents.who-is-on-call',
      ]);
      expect(
        await refused('open-incident', { title: 'x', severity: 'sev1' }),
      ).toBe('NotFoundError: Action "incidents.open-incident" not found');
      // The registry refuses it too, whoever asks.
      const direct = await http(
        'post',
        '/.backstage/actions/v1/actions/incidents:open-incident/invoke',
        GUEST,
      ).send({ title: 'x', severity: 'sev1' });
      expect(direct.status).toBe(404);
      expect((await http('get', '/incidents', GUEST)).body.totalCount).toBe(0);
    });
  },
);
