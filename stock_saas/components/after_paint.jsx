// Children mounted just after the page's first paint (issue 18, item 7). A page's closed
// dialogs and phone-only controls draw nothing a person sees on arrival, yet mounting them
// is part of the first render React must finish before anything is painted; here they
// mount in the task after that paint, before anyone can open them.
import { useEffect, useState } from "react";

export function AfterFirstPaint({ children }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setShown(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return shown ? children : null;
}
