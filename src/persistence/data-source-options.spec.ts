import type { DataSourceOptions } from 'typeorm';

/** The native sqlite3 module is loaded only when SQLite is the engine, and then without its verbose mode. */
describe('the data source options load sqlite3 only for SQLite', () => {
  const load = () => {
    let loaded = 0;
    let options: (t: { databasePath: string; databaseUrl?: string | null }) => DataSourceOptions = () => { throw new Error('not loaded'); };
    jest.isolateModules(() => {
      jest.doMock('sqlite3', () => { loaded++; return { ...jest.requireActual('sqlite3'), verbose: () => { throw new Error('verbose mode used'); } }; });
      ({ dataSourceOptions: options } = jest.requireActual('./data-source-options'));
    });
    return { options, loaded: () => loaded };
  };

  it('never loads sqlite3 on PostgreSQL', () => {
    const { options, loaded } = load();
    expect(options({ databasePath: ':memory:', databaseUrl: 'postgres://bf@127.0.0.1:1/bf' }).type).toBe('postgres');
    expect(loaded()).toBe(0);
  });

  it('loads it once for SQLite, its verbose() answering the quiet driver itself', () => {
    const { options, loaded } = load();
    const first = options({ databasePath: ':memory:' }) as { driver: { verbose: () => unknown; Database: unknown } };
    const second = options({ databasePath: ':memory:' }) as { driver: unknown };
    expect(loaded()).toBe(1);
    expect(second.driver).toBe(first.driver);
    expect(first.driver.verbose()).toBe(first.driver);
    expect(typeof first.driver.Database).toBe('function');
  });
});
