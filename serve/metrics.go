package serve

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the server's Prometheus series, on a registry of its own
// (no global state). Labels are bounded: route is the mux pattern that
// matched (or "unmatched"), code the HTTP status.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	errors     *prometheus.CounterVec
	rejected   prometheus.Counter
	inFlight   prometheus.Gauge
	generation prometheus.Gauge
	retries    prometheus.Counter
	cacheHits  prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dtm_serve_requests_total", Help: "HTTP requests answered, by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dtm_serve_request_duration_seconds", Help: "Time to answer a request, by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dtm_serve_errors_total", Help: "Requests answered with a 5xx status or aborted mid-stream, by route.",
		}, []string{"route"}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dtm_serve_rejected_total", Help: "Requests refused with 429 because MaxInFlight requests were running.",
		}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dtm_serve_in_flight_requests", Help: "Data requests running now.",
		}),
		generation: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dtm_serve_generation", Help: "Warehouse manifest generation served by the latest request.",
		}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dtm_serve_generation_retries_total", Help: "Requests answered again from a newer generation because a commit removed the files of theirs.",
		}),
	}
	m.cacheHits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "dtm_serve_cache_hits_total", Help: "Responses sent from the response cache (same generation, same request).",
	})
	m.reg.MustRegister(m.requests, m.latency, m.errors, m.rejected, m.inFlight, m.generation, m.retries, m.cacheHits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
