import type { Page } from '@playwright/test';
import { expect } from './app';

/**
 * Every visible control on the page has an accessible name: aria-labelledby, aria-label, a
 * <label>, its own text (buttons, options, tabs, links) or a title. Returns nothing; fails the
 * test with the controls that have none. The grid (ag-grid's own cells and filters) is the
 * grid's, and is left out.
 */
export async function expectAccessibleNames(page: Page): Promise<void> {
  const unnamed = await page.evaluate(() => {
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const nameOf = (el: HTMLElement): string => {
      const labelledBy = el.getAttribute('aria-labelledby');
      if (labelledBy) {
        const joined = labelledBy
          .split(/\s+/)
          .map((id) => text(document.getElementById(id)))
          .join(' ')
          .trim();
        if (joined) return joined;
      }
      const aria = el.getAttribute('aria-label')?.trim();
      if (aria) return aria;
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
        const byFor = el.id ? text(document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) : '';
        if (byFor) return byFor;
        const wrapping = text(el.closest('label'));
        if (wrapping) return wrapping;
      } else {
        const own = text(el);
        if (own) return own;
      }
      return el.getAttribute('title')?.trim() ?? '';
    };
    const selector =
      'button, input:not([type="hidden"]), select, textarea, a[href], [role="option"], [role="tab"], [role="checkbox"], [role="button"]';
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => !el.closest('.ag-root-wrapper') && el.getClientRects().length > 0)
      .filter((el) => nameOf(el) === '')
      .map((el) => el.outerHTML.slice(0, 160));
  });
  expect(unnamed, 'controls without an accessible name').toEqual([]);
}
