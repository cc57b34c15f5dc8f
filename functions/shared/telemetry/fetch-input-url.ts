/** The URL a fetch call was given, as text, whichever form it came in (a string, a URL or a Request). */
export const fetchInputUrl = (input: Parameters<typeof fetch>[0]): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
