// A menu mounted on its first use (issue 18, item 7). Until then only its trigger is drawn,
// a button with the same look, name and aria-haspopup, so a page of 25 rows and a sidebar of
// departments draw plain buttons instead of one Radix menu each (most of the dashboard's
// first render). The first press (a primary pointer press, or Enter, Space, ArrowDown)
// mounts the menu and hands the same press to its real trigger, which then opens the menu
// exactly as Radix always does (keyboard focus on the first item, type-ahead, focus back
// on the trigger when it closes).
import { Children, useEffect, useRef, useState } from "react";

const KEYS = ["Enter", " ", "ArrowDown"];
const CONTENTS = { display: "contents" };

export function LazyMenu({ children }) {
  const [placeholder, menu] = Children.toArray(children);
  const [press, setPress] = useState(null);
  const box = useRef(null);

  useEffect(() => {
    const trigger = press && box.current && box.current.querySelector("button");
    if (!trigger) return;
    trigger.focus({ preventScroll: true });
    const init = { bubbles: true, cancelable: true };
    trigger.dispatchEvent(
      press.key
        ? new KeyboardEvent("keydown", { ...init, key: press.key })
        : new PointerEvent("pointerdown", { ...init, button: 0, pointerType: press.pointerType }),
    );
  }, [press]);

  if (press) {
    return (
      <span ref={box} style={CONTENTS}>
        {menu}
      </span>
    );
  }
  const onPointerDown = (event) => {
    if (event.button !== 0 || event.ctrlKey) return;
    event.preventDefault();
    setPress({ pointerType: event.pointerType || "mouse" });
  };
  const onKeyDown = (event) => {
    if (!KEYS.includes(event.key)) return;
    event.preventDefault();
    setPress({ key: event.key });
  };
  return (
    <span style={CONTENTS} onPointerDown={onPointerDown} onKeyDown={onKeyDown}>
      {placeholder}
    </span>
  );
}
