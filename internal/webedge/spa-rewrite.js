// Viewer-request function of the site's default behaviour: a path whose
// last segment has no file extension is a route of the single-page app,
// so it gets the app's index.html. /static/*.js, /favicon.svg and
// /index.html itself pass through unchanged.
function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
