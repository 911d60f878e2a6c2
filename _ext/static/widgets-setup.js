// Loaded before RequireJS and the ipywidgets HTML manager on pages with widgets.
//
// 1. RequireJS reads a global `require` object as its configuration. The widget manager's
//    bundle finds its fonts relative to its module URL, which RequireJS resolves against
//    baseUrl: point baseUrl at this folder, where `make book` puts those files.
var require = { baseUrl: new URL(".", document.currentScript.src).href };

// 2. The widget manager typesets widget labels through the MathJax 2 API (MathJax.Hub.Queue);
//    the book loads MathJax 3. Map that call onto MathJax 3's typesetPromise once MathJax 3 has
//    started (its deferred script runs before DOMContentLoaded; this listener is registered
//    before the widget manager's).
document.addEventListener("DOMContentLoaded", function () {
  var mathjax = window.MathJax;
  if (!mathjax || mathjax.Hub) {
    return;
  }
  mathjax.Hub = {
    Queue: function (job) {
      var element = job && job[2];
      if (mathjax.typesetPromise) {
        mathjax.typesetPromise(element ? [element] : undefined).catch(function () {});
      }
    },
  };
});
