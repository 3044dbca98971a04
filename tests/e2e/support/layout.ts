import type { Locator } from '@playwright/test';

/**
 * Whether a control shows its whole text: an input's value (or its placeholder when empty), a
 * select's chosen option, a cell's value. Measured with the control's own font.
 */
export async function textFits(
  locator: Locator,
): Promise<{ fits: boolean; text: string; width: number; room: number }> {
  return locator.evaluate((el) => {
    const style = getComputedStyle(el);
    const context = document.createElement('canvas').getContext('2d');
    if (!context) throw new Error('No canvas to measure with.');
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    let room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    let text: string;
    if (el instanceof HTMLSelectElement) {
      text = el.selectedOptions[0]?.text ?? '';
      room -= 20; // the native arrow
    } else if (el instanceof HTMLInputElement) text = el.value || el.placeholder;
    else {
      // A cell or a heading: its text is clipped (ellipsis) when it needs more than its box.
      // (on whichever element of it clips: ag-grid wraps values in spans of its own).
      text = el.textContent ?? '';
      const boxes = [el, ...el.querySelectorAll('*')].filter((e) => e.clientWidth > 0);
      const clipped = boxes.find((e) => e.scrollWidth > e.clientWidth);
      return {
        fits: clipped === undefined,
        text,
        width: clipped?.scrollWidth ?? el.scrollWidth,
        room: clipped?.clientWidth ?? el.clientWidth,
      };
    }
    const width = context.measureText(text).width;
    return { fits: width <= room, text, width, room };
  });
}

/** The vertical middle of an element, to tell whether two controls sit on one line. */
export async function middle(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('The element is not visible.');
  return box.y + box.height / 2;
}
