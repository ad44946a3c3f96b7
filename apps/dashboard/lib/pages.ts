// The dashboard's pages, in navigation order: the header's navigation and the 404 page both
// read this one list, so a page added here is counted and linked everywhere at once.
export const PAGES = [
  { href: '/', label: 'Live operations' },
  { href: '/log', label: 'The log' },
  { href: '/queues', label: 'The queues' },
  { href: '/rostering', label: 'Rostering' },
  { href: '/lab', label: 'Lab' },
  { href: '/walkthrough', label: 'Walkthrough' },
] as const;

const COUNT_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** "six pages" — a word up to ten, digits beyond */
export function pageCountText(n: number = PAGES.length): string {
  return `${COUNT_WORDS[n] ?? String(n)} page${n === 1 ? '' : 's'}`;
}
