// Emergency alerts (docs/ops-console.md §Emergency alerts): an uploaded CAP file fills the XML
// field (the form posts text; the server checks it exactly as a pasted one).
(() => {
  'use strict';
  for (const input of document.querySelectorAll('input[type=file][data-fills]')) {
    input.addEventListener('change', async () => {
      const f = input.files && input.files[0];
      const target = document.getElementById(input.dataset.fills);
      if (!f || !target) return;
      if (f.size > 200000) { target.value = ''; target.setCustomValidity('file over 200 000 bytes'); target.reportValidity(); return; }
      target.setCustomValidity('');
      target.value = await f.text();
      target.focus();
    });
  }
})();
