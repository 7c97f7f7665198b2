package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pushplatform/pushplatform/internal/documents"
)

// documentsPrefix is the route of GET /documents/{key} (also under /api).
const documentsPrefix = "/documents/"

// linker signs links to private documents (documents.Store).
type linker interface {
	Link(ctx context.Context, key string) (documents.Link, error)
}

// document answers a short-lived presigned GET URL for one object of the
// private documents bucket: 400 for a key the API refuses, 404 for one
// the bucket does not hold, 502 when S3 does not answer.
func (h *handler) document(w http.ResponseWriter, r *http.Request, key string) {
	if h.docs == nil {
		writeError(w, http.StatusNotFound, "documents are not served by this deployment (DOCUMENTS_BUCKET is unset)")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	link, err := h.docs.Link(ctx, key)
	var bad *documents.KeyError
	switch {
	case errors.As(err, &bad):
		writeError(w, http.StatusBadRequest, bad.Error())
	case errors.Is(err, documents.ErrNotFound):
		writeError(w, http.StatusNotFound, fmt.Sprintf("no document %q", key))
	case err != nil:
		h.log.Error("sign document link", "error", err.Error())
		writeError(w, http.StatusBadGateway, "the document store did not answer; try again")
	default:
		// The link is a credential for a few minutes: no cache keeps it.
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, link)
	}
}
