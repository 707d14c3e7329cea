// axe-core (npm) injected into the page: the rules that say "every control has an accessible name".
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe's rules about names and labels of controls, images, frames and landmarks' widgets. */
export const NAME_RULES = [
  'label',
  'button-name',
  'link-name',
  'select-name',
  'input-button-name',
  'input-image-alt',
  'image-alt',
  'svg-img-alt',
  'role-img-alt',
  'aria-input-field-name',
  'aria-toggle-field-name',
  'aria-command-name',
  'aria-progressbar-name',
  'aria-meter-name',
  'aria-tooltip-name',
  'aria-dialog-name',
  'aria-treeitem-name',
  'frame-title',
  'summary-name',
] as const;

export interface Violation {
  rule: string;
  help: string;
  targets: string[];
}

/** The name/label violations axe finds in the page as it is now (an empty list when every control is named). */
export async function nameViolations(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ content: axeSource });
  return page.evaluate(
    async (rules) => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
      const result = await axe.run(document, { runOnly: { type: 'rule', values: rules } });
      return result.violations.map((v) => ({
        rule: v.id,
        help: v.help,
        targets: v.nodes.map((node) => node.target.join(' ')),
      }));
    },
    [...NAME_RULES],
  );
}
