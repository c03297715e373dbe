"use client";

import { useEffect, useState } from "react";

type Theme = "light" | "dark" | "system";
const STORAGE_KEY = "tickstream-theme";

/** Applies a theme to <html> (system follows the OS setting). */
function applyTheme(theme: Theme): void {
  const dark =
    theme === "dark" || (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

/** Inline script for <head>: sets the class before first paint, so a dark page never flashes white. */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem("${STORAGE_KEY}")||"system";var d=t==="dark"||(t==="system"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => {
    setTheme((localStorage.getItem(STORAGE_KEY) as Theme | null) ?? "system");
  }, []);
  const choose = (next: Theme) => {
    setTheme(next);
    localStorage.setItem(STORAGE_KEY, next);
    applyTheme(next);
  };
  return (
    <div
      role="radiogroup"
      aria-label="Theme"
      className="flex rounded-md border border-slate-300 text-xs dark:border-slate-700"
      data-testid="theme-toggle"
    >
      {(["light", "dark", "system"] as const).map((t) => (
        <button
          key={t}
          type="button"
          role="radio"
          aria-checked={theme === t}
          data-testid={`theme-${t}`}
          onClick={() => choose(t)}
          className={`px-2 py-1 capitalize first:rounded-l-md last:rounded-r-md ${theme === t ? "bg-slate-200 font-semibold dark:bg-slate-700" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
        >
          {t}
        </button>
      ))}
    </div>
  );
}
