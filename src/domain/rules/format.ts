/** 12345 -> "12,345". Intl's toLocaleString does the same at many times the cost, per call. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
