import { Checker } from '../validation';
import { checkNoticeContent, mergeNoticeContent, NoticeContent } from './notice-content';

const OWNER: NoticeContent = { whatHappened: 'A laptop was stolen from a staff car.', locations: ['laptop'], breachDates: { start: '2026-03-08' } };

function patch(body: unknown) {
  const c = new Checker();
  const p = checkNoticeContent(c, body);
  return { p, errors: c.errors };
}

describe('a change of the notice content', () => {
  it('saving the letter text keeps the owner\'s description, location and breach date', () => {
    const { p } = patch({ stepsForIndividuals: 'Watch your statements.', whatWeAreDoing: 'We changed every password.' });
    expect(mergeNoticeContent(OWNER, p!)).toEqual({ ...OWNER, stepsForIndividuals: 'Watch your statements.', whatWeAreDoing: 'We changed every password.' });
  });

  it('a field given replaces only itself; null clears one', () => {
    const { p } = patch({ whatHappened: ' A laptop and a phone were stolen. ', breachDates: null });
    expect(mergeNoticeContent(OWNER, p!)).toEqual({ whatHappened: 'A laptop and a phone were stolen.', locations: ['laptop'] });
  });

  it('a bad field is named and nothing is returned to merge', () => {
    const { errors } = patch({ locations: ['garage'], breachDates: { start: 'yesterday' } });
    expect(errors.map((e) => e.path)).toEqual(['locations[0]', 'breachDates.start']);
  });
});
