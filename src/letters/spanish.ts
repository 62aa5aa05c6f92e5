import { parseLocalDate } from '../domain/rules/calendar';

/** What a Spanish letter template needs beyond the model: dates and the types of information in Spanish words. */
const MESES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** 2026-03-02 as "2 de marzo de 2026". */
export function fecha(date: unknown): string {
  const d = typeof date === 'string' ? parseLocalDate(date) : null;
  if (!d) throw new Error('fecha: not a date');
  return `${d.day} de ${MESES[d.month - 1]} de ${d.year}`;
}

const DATOS: Record<string, string> = {
  name: 'nombre', address: 'dirección', date_of_birth: 'fecha de nacimiento', ssn: 'número de Seguro Social', drivers_license: 'número de licencia de conducir',
  other_identifier: 'un identificador, como un número de paciente o de afiliado', diagnosis: 'diagnósticos o afecciones', lab_results: 'resultados de laboratorio',
  medications: 'medicamentos', treatment: 'otra información sobre el tratamiento', claims: 'información de reclamaciones al seguro médico',
  payment_card_or_bank: 'números de tarjeta de crédito o de cuenta bancaria', other_financial: 'otra información financiera',
};

/** A PHI type (the closed list of the notice content) in Spanish words. */
export function datoPhi(key: unknown): string {
  const words = typeof key === 'string' ? DATOS[key] : undefined;
  if (!words) throw new Error(`datoPhi: no Spanish words for ${String(key)}`);
  return words;
}
