// Focus return for dialogs opened by state rather than by a Radix trigger: remember the
// last focused control outside any dialog, and give the focus back to it when a dialog
// closes (stock_saas/components/modal.py wires window.stockSaasReturnFocus as the
// dialog's onCloseAutoFocus).
(() => {
  let opener = null;
  document.addEventListener("focusin", (e) => {
    const el = e.target;
    if (el instanceof HTMLElement && !el.closest("[role=dialog],[role=menu],[role=listbox]")) {
      opener = el;
    }
  });
  window.stockSaasReturnFocus = (e) => {
    if (opener && opener.isConnected) {
      e.preventDefault();
      opener.focus();
      return;
    }
    const main = document.getElementById("main");
    if (main) {
      e.preventDefault();
      main.focus();
    }
  };
  // A menu item that opens a dialog: the menu may finish closing after the dialog took the
  // focus, and Radix would then hand the focus back to the menu's button, out of the
  // dialog (modal.py wires this as the menu's onCloseAutoFocus).
  window.stockSaasMenuClosed = (e) => {
    if (document.querySelector("[role=dialog]")) e.preventDefault();
  };
})();
