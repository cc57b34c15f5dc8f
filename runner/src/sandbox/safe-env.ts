/** The whole environment of every job (and of the spawn server, which passes it on unchanged): nothing else reaches a job. */
export const SAFE_ENV: Readonly<Record<string, string>> = Object.freeze({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' });
