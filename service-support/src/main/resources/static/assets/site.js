// Optional: the pages work without it. An email link of the old form, /posts/{slug}#comment-{id},
// opens the thread's first page; when that comment is on another page, ask the server where it is
// (the new links carry the comment id in the path and need no script at all).
(function () {
  var match = /^#comment-([0-9a-fA-F-]{36})$/.exec(window.location.hash);
  var thread = /^\/posts\/([^/]+)$/.exec(window.location.pathname);
  if (match && thread && !document.getElementById('comment-' + match[1])) {
    window.location.replace('/posts/' + thread[1] + '/comments/' + match[1]);
  }
})();
