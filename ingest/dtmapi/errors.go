package dtmapi

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrMalformed is wrapped by errors about a body that is not a DTM API
	// response: invalid JSON, a result that is not an array, a record that is
	// not an object.
	ErrMalformed = errors.New("malformed DTM API response")
	// ErrNotSuccess is wrapped by errors about a response whose envelope says
	// isSuccess:false (see APIError for the messages).
	ErrNotSuccess = errors.New("DTM API reported failure")
	// ErrUnauthorized is wrapped when the API refuses the subscription key
	// (HTTP 401 or 403). Such requests are never retried.
	ErrUnauthorized = errors.New("DTM API refused the subscription key")
	// ErrQuery is wrapped by errors about an invalid Query.
	ErrQuery = errors.New("invalid DTM API query")
)

// APIError is the error of a response envelope with isSuccess:false.
type APIError struct {
	// Source names the file or endpoint the response came from.
	Source string
	// StatusCode is the envelope's statusCode (0 if absent).
	StatusCode int
	// Messages are the envelope's errorMessages.
	Messages []string
}

func (e *APIError) Error() string {
	msg := "no error message"
	if len(e.Messages) > 0 {
		msg = strings.Join(e.Messages, "; ")
	}
	if e.StatusCode != 0 {
		return fmt.Sprintf("%s: DTM API reported failure (statusCode %d): %s", e.Source, e.StatusCode, msg)
	}
	return fmt.Sprintf("%s: DTM API reported failure: %s", e.Source, msg)
}

// Unwrap makes errors.Is(err, ErrNotSuccess) true.
func (e *APIError) Unwrap() error { return ErrNotSuccess }

// HTTPError is the error of a request answered with a non-2xx status that is
// not retried or whose retries ran out.
type HTTPError struct {
	// Endpoint is the request path and query (never the key, which travels in
	// a header).
	Endpoint string
	// StatusCode is the HTTP status.
	StatusCode int
	// Messages are the envelope's errorMessages when the body had one, else a
	// short snippet of the body.
	Messages []string
	// Attempts is the number of requests made.
	Attempts int
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("GET %s: HTTP %d after %d attempt(s)", e.Endpoint, e.StatusCode, e.Attempts)
	if len(e.Messages) > 0 {
		s += ": " + strings.Join(e.Messages, "; ")
	}
	return s
}
