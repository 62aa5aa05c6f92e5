import { Database } from 'sqlite3';

/** Direct access to a test's SQLite file, outside the app: to look, or to tamper. */

export function sqlExec(path: string, statement: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new Database(path);
    db.exec(statement, (err) => db.close(() => (err ? reject(err) : resolve())));
  });
}

export function sqlAll<T>(path: string, query: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new Database(path);
    db.all(query, (err, rows: T[]) => db.close(() => (err ? reject(err) : resolve(rows))));
  });
}

/** The `n` column of the first row. */
export async function sqlCount(path: string, query: string): Promise<number> {
  const [row] = await sqlAll<{ n: number }>(path, query);
  return row.n;
}
