import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../clock/clock';
import { TransactionRunner } from '../persistence/transaction-runner';
import { hashPassword, newSecret, secretHash } from './passwords';
import { SetupTokenRepository } from './setup-token.repository';
import { UserRepository } from './user.repository';
import { checkNewUser, User } from './user-view';
import { UsersService } from './users.service';

/**
 * The first administrator, made through a one-time setup link: the server prints the link at start
 * while there are no users, and whoever opens it first (the practice's IT person) creates the admin.
 */
@Injectable()
export class SetupService {
  private readonly usersRepo = new UserRepository();
  private readonly setup = new SetupTokenRepository();

  constructor(private readonly runner: TransactionRunner, private readonly users: UsersService, @Inject(CLOCK) private readonly clock: Clock) {}

  /** With no users yet, a one-time setup link secret (a new one replaces the last); null once users exist. */
  async setupSecret(): Promise<string | null> {
    return this.runner.transaction(async (m) => {
      if (await this.usersRepo.count(m)) return null;
      const secret = newSecret('setup');
      await this.setup.put(m, secretHash(secret), this.clock.now().toISOString());
      return secret;
    });
  }

  async setupValid(secret: unknown): Promise<boolean> {
    if (typeof secret !== 'string') return false;
    return this.runner.read((m) => this.setup.exists(m, secretHash(secret)));
  }

  /** Creates the first admin with the setup link's secret; the link is then spent. */
  async completeSetup(secret: unknown, body: unknown): Promise<User> {
    const { role: _ignored, roles: _alsoIgnored, ...rest } = (body ?? {}) as Record<string, unknown>;
    const input = checkNewUser({ ...rest, role: 'admin' });
    const hash = await hashPassword(input.password);
    return this.runner.transaction(async (m) => {
      // Alone among user changes (PostgreSQL) before the count: a user added meanwhile is counted.
      await this.usersRepo.lockForChange(m);
      // Spent first, in one statement: of two uses of the link at once (PostgreSQL), the second
      // finds it gone and is refused, instead of both creating a first admin. A refusal rolls it back.
      const spent = typeof secret === 'string' && (await this.setup.spend(m, secretHash(secret)));
      if (!spent || (await this.usersRepo.count(m))) throw new HttpException({ errors: [{ path: 'token', message: 'this setup link is not valid (it was used, or replaced by a newer one)' }] }, HttpStatus.FORBIDDEN);
      return this.users.addIn(m, input, hash, 'breachflow (setup link)');
    });
  }
}
