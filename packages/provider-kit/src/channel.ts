/** What a plugin can carry: Korean domestic SMS / LMS / MMS, and international SMS. */
export const CHANNELS = ['SMS', 'LMS', 'MMS', 'INTL'] as const;
export type Channel = (typeof CHANNELS)[number];

/** COMM = general (transactional) message, AD = advertising message (labelled, 080-filtered). */
export type ContentType = 'COMM' | 'AD';
