/**
 * @module
 * Known crawlers and link previewers, by user agent. The edge serves them the page as the origin
 * sent it (default content) and stores nothing for them: a search engine must index the page
 * everyone can see, and a bot's visits are not a visitor's behaviour.
 */

/**
 * Names crawlers put in their user agent. The generic words catch the long tail ("…bot/1.0",
 * "…crawler", "…spider"); "cubot" is a phone brand, not a bot.
 */
const CRAWLER =
  /bot\b|bot\/|crawl|spider|slurp|facebookexternalhit|mediapartners-google|google-inspectiontool|google-extended|feedfetcher|bingpreview|headlesschrome.*lighthouse|chrome-lighthouse|ia_archiver|httrack/i;
const NOT_CRAWLER = /cubot/i;

/**
 * True for known crawlers, and for requests with no user agent at all (no browser sends none).
 * @example isCrawler('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)') // true
 * @example isCrawler('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36') // false
 */
export function isCrawler(userAgent: string | null | undefined): boolean {
  const ua = userAgent?.trim();
  if (!ua) return true;
  return CRAWLER.test(ua) && !NOT_CRAWLER.test(ua);
}
