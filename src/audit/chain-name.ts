/** The two hash-chained trails: the incidents' events and the practice-wide access events. */
export type ChainName = 'incident_event' | 'access_event';
