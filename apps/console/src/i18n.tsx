import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { messages, type MessageKey } from './messages';

export type Language = 'ko' | 'en';

const LANGUAGE_KEY = 'munja.console.language';

interface LanguageContextValue {
  language: Language;
  setLanguage: (language: Language) => void;
}

const LanguageContext = createContext<LanguageContextValue>({ language: 'ko', setLanguage: () => undefined });

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (saved === 'ko' || saved === 'en') return saved;
  } catch {
    // storage may be unavailable
  }
  return typeof navigator !== 'undefined' && navigator.language.startsWith('ko') ? 'ko' : 'en';
}

export function LanguageProvider({
  children,
  language: fixed,
}: {
  children: ReactNode;
  language?: Language;
}) {
  const [language, setState] = useState<Language>(fixed ?? initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    setState(next);
    try {
      localStorage.setItem(LANGUAGE_KEY, next);
    } catch {
      // not kept: the switch still applies to this page
    }
    document.documentElement.lang = next;
  }, []);
  const value = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageContextValue {
  return useContext(LanguageContext);
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** The UI text in the chosen language; `{name}` placeholders are filled from `values`. */
export function useT(): Translate {
  const { language } = useLanguage();
  return useCallback(
    (key, values) => {
      const text = messages[key][language === 'ko' ? 0 : 1];
      if (!values) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        values[name] === undefined ? whole : String(values[name]),
      );
    },
    [language],
  );
}
