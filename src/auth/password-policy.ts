import { MIN_PASSWORD } from './passwords';

/**
 * What a password must be: 12 to 200 characters, not one character repeated or a handful of them,
 * not the account's email, and not one of the passwords every guessing list starts with.
 * Returns the problem in words, or null.
 */

const COMMON = new Set([
  'password', 'passw0rd', 'password1', 'password123', 'password1234', 'passwordpassword', '123456789012', '1234567890123', 'qwertyuiop', 'qwertyuiopasdf',
  'qwerty123456', 'iloveyou', 'letmein', 'welcome', 'welcome123', 'welcome2026', 'changeme', 'changeme123', 'administrator', 'admin123456', 'trustno1',
  'abcdefghijkl', 'abc123abc123', 'monkey', 'football', 'baseball', 'sunshine', 'princess', 'dragon', 'superman', 'starwars', 'whatever', 'master',
  'healthcare', 'hospital', 'medical', 'doctor', 'nurse', 'patient', 'clinic', 'practice', 'breachflow',
  'summer2026', 'winter2026', 'spring2026', 'autumn2026', 'fall2026', 'qazwsxedcrfv', '1q2w3e4r5t6y', 'zaq12wsxcde3', 'asdfghjkl123', 'p@ssw0rd', 'p@ssword123',
]);

export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD || password.length > 200) return `must be ${MIN_PASSWORD} to 200 characters`;
  if (new Set([...password]).size < 5) return 'uses too few different characters; a few unrelated words make a good password';
  const plain = password.toLowerCase().replace(/[\s\-_.!]+/g, '');
  if (COMMON.has(plain) || /^(.{1,4})\1+$/.test(plain) || /^(0?123456789|abcdefghijklmnopqrstuvwxyz)/.test(plain)) return 'is one of the most common passwords; choose another';
  if (email && plain.includes(email.toLowerCase().split('@')[0].replace(/[\s\-_.!]+/g, '')) && email.split('@')[0].length >= 4) return 'must not contain your email name';
  return null;
}
