// Progress of a running job, for browsers with script: the page works without it (a link reloads
// it), and a meta refresh would move the page under a person reading it (WCAG 2.2.1).
(function () {
  'use strict';
  var jobs = document.querySelectorAll('[data-progress-url]');
  if (!jobs.length) return;
  function poll() {
    var pending = [];
    jobs.forEach(function (el) {
      pending.push(fetch(el.getAttribute('data-progress-url'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (job) {
          if (!job) return false;
          var bar = el.querySelector('progress');
          var label = el.querySelector('[data-progress-text]');
          var done = job.done !== undefined ? job.done : job.rowsRead;
          if (bar && job.total) { bar.max = job.total; bar.value = done; }
          if (label) label.textContent = job.total ? done.toLocaleString('en-US') + ' of ' + job.total.toLocaleString('en-US') + ' people' : done.toLocaleString('en-US') + ' rows read';
          return job.status !== 'running';
        })
        .catch(function () { return false; }));
    });
    Promise.all(pending).then(function (finished) {
      if (finished.some(Boolean)) window.location.reload();
      else window.setTimeout(poll, 1000);
    });
  }
  window.setTimeout(poll, 1000);
})();
