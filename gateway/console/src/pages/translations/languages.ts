/** The languages the translator's offline engines know (pocketsphinx, apertium, espeak-ng); a pair without an engine fails at its translate stage, with the reason. */
export const LANGUAGES = [
  { value: 'en', label: 'English (en)' },
  { value: 'es', label: 'Spanish (es)' },
  { value: 'fr', label: 'French (fr)' },
  { value: 'de', label: 'German (de)' },
  { value: 'it', label: 'Italian (it)' },
  { value: 'pt', label: 'Portuguese (pt)' },
  { value: 'ca', label: 'Catalan (ca)' },
  { value: 'gl', label: 'Galician (gl)' },
  { value: 'eo', label: 'Esperanto (eo)' },
];

export const languageName = (code: string) => LANGUAGES.find((language) => language.value === code)?.label.replace(/ \(\w+\)$/, '') ?? code;

export const OUTPUT_LABELS = {
  srt: 'Subtitles (SRT)',
  vtt: 'Subtitles (WebVTT)',
  transcript: 'Transcript',
  dub: 'Dubbed audio',
  video: 'Video',
} as const;
