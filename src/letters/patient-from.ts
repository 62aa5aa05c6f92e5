/** Patients hear from their practice: its name, and its email for questions (else the server's address). */
export function patientFrom(practiceName: string, practiceEmail: string | undefined, serverFrom: string): string {
  const address = practiceEmail ?? /<([^>]+)>/.exec(serverFrom)?.[1] ?? serverFrom;
  return `"${practiceName.replace(/["\\\r\n]/g, '')}" <${address}>`;
}
