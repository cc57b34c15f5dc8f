/** A header's value in a plain record of headers (a port call's), whatever the case of its name there; `name` in lower case. */
export const headerOf = (headers: Readonly<Record<string, string>>, name: string): string | undefined =>
  headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
