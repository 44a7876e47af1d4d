import { Page, TestInfo } from '@playwright/test';

/** What the accessibility checks found on one page. */
export interface AxeFindings {
  /** Serious and critical violations in Vigil's part of the page. */
  vigil: string[];
  /** The same in Backstage's own shell (sidebar, app chrome): not counted. */
  core: string[];
}

/**
 * Runs axe-core on the whole page and sorts serious and critical violations
 * by where they are: the page content, dialogs, menus and popovers count;
 * Backstage's own shell (the sidebar, the app's toast region) is listed in
 * the test's annotations but not counted.
 */
export async function axeFindings(
  page: Page,
  testInfo: TestInfo,
  name: string,
  /** Only these elements are Vigil's (a home page's widgets); default all but the shell. */
  scope?: string,
): Promise<AxeFindings> {
  // A dialog fading in has partial opacity, which axe reads as low contrast.
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('.MuiDialog-container')).every(
      element => getComputedStyle(element).opacity === '1',
    ),
  );
  if (!(await page.evaluate(() => Boolean((window as any).axe)))) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  const findings: AxeFindings = await page.evaluate(async only => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    const vigil: string[] = [];
    const core: string[] = [];
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      for (const node of v.nodes) {
        const selector = node.target.join(' ');
        let element: Element | null = null;
        try {
          element = document.querySelector(String(node.target[0]));
        } catch {
          element = null;
        }
        // Backstage's shell: the sidebar and the app's toast region.
        const shell = element?.closest(
          'nav[aria-label="sidebar nav"], [class*="BackstageSidebar-drawer"], [aria-label$=" notifications."]',
        );
        const ours =
          !element || (only ? element.closest(only) !== null : !shell);
        (ours ? vigil : core).push(
          `${v.impact} ${v.id} (${v.help}): ${selector}`,
        );
      }
    }
    return { vigil, core };
  }, scope);
  if (findings.core.length) {
    testInfo.annotations.push({
      type: 'backstage-core-axe',
      description: `${name}: ${findings.core.join('; ')}`,
    });
  }
  return findings;
}
