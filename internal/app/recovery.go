package app

import (
	"context"
	"errors"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/logctx"
)

// GitHub never redelivers a failed delivery on its own, and redelivers on
// request only within three days of it (docs.github.com, "Handling failed
// webhook deliveries"; "Automatically redelivering failed deliveries for
// a GitHub App webhook"). The recovery, on start and on a timer, lists
// the App's hook deliveries (GET /app/hook/deliveries, authenticated with
// the App's JWT, newest first, paginated by cursor), groups the attempts
// by GUID (the X-GitHub-Delivery every attempt of a delivery shares), and
// asks for a redelivery (POST /app/hook/deliveries/{id}/attempts) of each
// delivery none of whose attempts succeeded and that the store does not
// hold. A delivery that reached the store but whose answer GitHub did not
// see (a timeout) is not asked for again.
const (
	redeliveryWindow = 72 * time.Hour
	// windowMargin keeps clear of the window's edge, where GitHub would
	// refuse the redelivery.
	windowMargin = 10 * time.Minute
	// maxDeliveryPages bounds one recovery's listing (100 attempts a page).
	maxDeliveryPages = 200
)

func (a *App) recoverLoop(ctx context.Context) {
	a.recoverOnce(ctx)
	if a.recoverEvery < 0 {
		return
	}
	t := time.NewTicker(a.recoverEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.recoverOnce(ctx)
		}
	}
}

// recoverOnce runs one recovery and returns how many redeliveries it
// asked for.
func (a *App) recoverOnce(ctx context.Context) int {
	log := logctx.From(a.ctx)
	start := time.Now()
	cutoff := start.Add(-redeliveryWindow + windowMargin)
	newest := map[string]int64{} // GUID → its newest attempt
	ok := map[string]bool{}
	var order []string
	opts := &github.ListCursorOptions{PerPage: 100}
	for page := 0; page < maxDeliveryPages; page++ {
		ds, resp, err := a.clients.App().Apps.ListHookDeliveries(ctx, opts)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("recovery: cannot list the App's hook deliveries", "error", err.Error())
			}
			return 0
		}
		old := false
		for _, d := range ds {
			if d.GetDeliveredAt().Time.Before(cutoff) {
				old = true
				continue
			}
			g := d.GetGUID()
			if g == "" {
				continue
			}
			if _, seen := newest[g]; !seen {
				newest[g] = d.GetID()
				order = append(order, g)
			}
			code := d.GetStatusCode()
			if d.GetStatus() == "OK" || (code >= 200 && code < 300) {
				ok[g] = true
			}
		}
		if old || resp.Cursor == "" {
			break
		}
		opts.Cursor = resp.Cursor
	}
	var failed []string
	for _, g := range order {
		if !ok[g] {
			failed = append(failed, g)
		}
	}
	if len(failed) == 0 {
		log.Debug("recovery: no failed delivery", "listed", len(order), "took", time.Since(start))
		return 0
	}
	known, err := a.store.Known(ctx, failed)
	if err != nil {
		log.Warn("recovery: cannot look the deliveries up", "error", err.Error())
		return 0
	}
	asked := 0
	for _, g := range failed {
		if known[g] {
			continue
		}
		// GitHub answers 202 Accepted, which go-github returns as an
		// *AcceptedError: the redelivery is scheduled.
		_, _, err := a.clients.App().Apps.RedeliverHookDelivery(ctx, newest[g])
		var accepted *github.AcceptedError
		if err != nil && !errors.As(err, &accepted) {
			a.m.redelivery.WithLabelValues("failed").Inc()
			log.Warn("recovery: redelivery refused", "delivery", safeToken(g), "error", err.Error())
			continue
		}
		a.m.redelivery.WithLabelValues("requested").Inc()
		asked++
	}
	log.Info("recovery", "listed", len(order), "failed", len(failed), "redelivered", asked, "took", time.Since(start))
	return asked
}
