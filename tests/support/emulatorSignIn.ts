/**
 * A stand-in for the system browser in MSAL's interactive flow against the emulator: GET the
 * authorize URL, read the consent page's auto-submitting form, POST it (form_post) to MSAL's
 * loopback redirect URI, as a browser would.
 */
export async function followConsentPage(authorizeUrl: string): Promise<void> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`The consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = /<form method="post" action="([^"]+)">(.*?)<\/form>/s.exec(html);
  if (!form) throw new Error(`No form on the consent page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(decodeHtml(m[1]!), decodeHtml(m[2]!));
  }
  const posted = await fetch(decodeHtml(form[1]!), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  await posted.text();
}

const decodeHtml = (s: string): string => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
