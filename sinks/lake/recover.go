package lake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"
	"go.uber.org/zap"
)

// ErrConflict is returned when another dtm publish (a run, or `dtm
// warehouse publish`) to the same location committed first, or is
// committing: the catalog refused a table commit (compare-and-swap on the
// table's snapshot) or the object store refused head.json (If-Match).
// Nothing of the losing publish stays committed (its own snapshots are
// rolled back); running it again starts from the winner's state.
var ErrConflict = errors.New("another dtm publish to this location committed first")

// inflightPrefix holds one marker per publish that has written its
// journal and not yet finished (or been recovered): recovery lists it.
const inflightPrefix = "_dtm/inflight/"

// Recovery is what recovery did about a publish whose process stopped.
type Recovery struct {
	PublishID string `json:"publish_id"`
	// Action is "finished" (every table already held the publish's files:
	// head.json was written), "rolled-back" (the partial snapshots were
	// removed and the tables reset to the last complete publish) or
	// "closed" (head.json already named it: only the journal was closed).
	Action  string   `json:"action"`
	Tables  []string `json:"tables,omitempty"`  // tables rolled back
	Deleted int      `json:"deleted,omitempty"` // objects it uploaded that no complete publish names, deleted
}

// recoverer finds the publishes of a location whose process stopped
// between their journal and their end, and finishes or rolls them back.
type recoverer struct {
	st         *store
	cat        catalog.Catalog
	loc        Location
	defs       []tableDef
	self       Owner
	staleAfter time.Duration
	step       func(string) error
	log        *zap.Logger
}

func (r *recoverer) run(ctx context.Context) ([]Recovery, error) {
	keys, err := r.st.list(ctx, inflightPrefix)
	if err != nil {
		return nil, err
	}
	sort.Strings(keys)
	var out []Recovery
	for _, k := range keys {
		id := strings.TrimSuffix(path.Base(k), ".json")
		j, found, err := r.st.readJournal(ctx, id)
		if err != nil {
			return out, err
		}
		if !found || j.State != "started" {
			if err := r.st.remove(ctx, k); err != nil {
				return out, err
			}
			continue
		}
		if j.Owner.running(r.self, j.StartedAt, time.Now(), r.staleAfter) {
			r.log.Info("another publish is running; leaving it alone", zap.String("publish_id", id),
				zap.String("host", j.Owner.Host), zap.Int("pid", j.Owner.PID))
			continue
		}
		rec, err := r.recoverOne(ctx, j)
		if err != nil {
			return out, fmt.Errorf("recovering the interrupted publish %s: %w", id, err)
		}
		r.log.Info("recovered an interrupted publish", zap.String("publish_id", id), zap.String("action", rec.Action),
			zap.Strings("tables", rec.Tables), zap.Int("deleted", rec.Deleted))
		out = append(out, *rec)
	}
	return out, nil
}

// recoverOne finishes j when every table already holds exactly the files
// it intended and head.json has not moved since it started; otherwise it
// fences head.json (rewrites it, so that j's process, were it still
// alive, can no longer write it), rolls each table back to the snapshot
// head.json names, and deletes the objects j uploaded that head.json does
// not name.
func (r *recoverer) recoverOne(ctx context.Context, j *Journal) (*Recovery, error) {
	rec := &Recovery{PublishID: j.PublishID}
	h, etag, found, err := r.st.readHead(ctx)
	if err != nil {
		return nil, err
	}
	if found && h.PublishID == j.PublishID {
		rec.Action = "closed"
		n, err := dropObsolete(ctx, r.st, r.cat, r.defs, j.Obsolete, h.Snapshots)
		if err != nil {
			return nil, err
		}
		rec.Deleted = n
		return rec, r.st.closeJournal(ctx, j, "complete")
	}
	headSnaps := map[string]int64{}
	if found {
		headSnaps = h.Snapshots
	}
	tables := map[string]*table.Table{}
	cur := map[string]int64{}
	for _, d := range r.defs {
		tbl, err := r.cat.LoadTable(ctx, d.ident())
		if errors.Is(err, catalog.ErrNoSuchTable) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("catalog: loading table %s: %w", d.Name, err)
		}
		tables[d.Name] = tbl
		if s := tbl.CurrentSnapshot(); s != nil {
			cur[d.Name] = s.SnapshotID
		}
	}

	finish := j.Head != nil && sameSnapshotIDs(headSnaps, j.Previous)
	for _, d := range r.defs {
		if !finish {
			break
		}
		want := j.Intended[d.Name]
		tbl := tables[d.Name]
		if tbl == nil {
			finish = len(want) == 0
			continue
		}
		have, err := currentFiles(ctx, tbl)
		if err != nil {
			return nil, err
		}
		finish = len(have) == len(want)
		for _, u := range want {
			finish = finish && have[u]
		}
	}
	if finish {
		head := *j.Head
		head.Snapshots = map[string]int64{}
		for _, d := range r.defs {
			head.Snapshots[d.Name] = cur[d.Name]
		}
		head.CommittedAt = time.Now().UTC()
		if err := r.st.writeJSON(ctx, headKey, &head, !found, etag); err != nil {
			if errors.Is(err, errPreconditionFailed) {
				return nil, fmt.Errorf("%w: head.json changed while finishing publish %s", ErrConflict, j.PublishID)
			}
			return nil, err
		}
		if err := r.step("recover:finished"); err != nil {
			return nil, err
		}
		rec.Action = "finished"
		n, err := dropObsolete(ctx, r.st, r.cat, r.defs, j.Obsolete, head.Snapshots)
		if err != nil {
			return nil, err
		}
		rec.Deleted = n
		return rec, r.st.closeJournal(ctx, j, "complete")
	}

	if found {
		fenced := *h
		fenced.Fence = j.PublishID
		if err := r.st.writeJSON(ctx, headKey, &fenced, false, etag); err != nil {
			if errors.Is(err, errPreconditionFailed) {
				return nil, fmt.Errorf("%w: head.json changed while rolling back publish %s", ErrConflict, j.PublishID)
			}
			return nil, err
		}
	}
	if err := r.step("recover:fenced"); err != nil {
		return nil, err
	}
	ours := func(s *table.Snapshot) bool {
		return s.Summary != nil && s.Summary.Properties[SummaryPublishID] == j.PublishID
	}
	for _, d := range r.defs {
		tbl := tables[d.Name]
		if tbl == nil || cur[d.Name] == headSnaps[d.Name] {
			continue
		}
		if err := rollbackTable(ctx, r.cat, tbl, cur[d.Name], headSnaps[d.Name], ours); err != nil {
			return nil, err
		}
		rec.Tables = append(rec.Tables, d.Name)
		if err := r.step("recover:rolled-back:" + d.Name); err != nil {
			return nil, err
		}
	}
	named := map[string]bool{}
	if found {
		for _, f := range h.Files {
			named[r.loc.URL(f.Key)] = true
		}
	}
	for _, urls := range j.Intended {
		for _, u := range urls {
			if named[u] || !strings.HasPrefix(u, r.loc.URL("")+"/") {
				continue
			}
			if err := r.st.remove(ctx, strings.TrimPrefix(u, r.loc.URL("")+"/")); err != nil {
				return nil, err
			}
			rec.Deleted++
		}
	}
	rec.Action = "rolled-back"
	return rec, r.st.closeJournal(ctx, j, "rolled-back")
}

// rollbackTable resets the table's main branch from snapshot cur to
// target (0: no snapshot) and removes the snapshots in between from the
// table's metadata (they are expired: no engine can read them any more),
// in one catalog commit that asserts the branch is still at cur. Every
// removed snapshot must satisfy ours; target must be an ancestor of cur.
func rollbackTable(ctx context.Context, cat catalog.Catalog, tbl *table.Table, cur, target int64, ours func(*table.Snapshot) bool) error {
	name := strings.Join(tbl.Identifier(), ".")
	var drop []int64
	id := cur
	for id != target {
		s := tbl.SnapshotByID(id)
		if s == nil {
			return fmt.Errorf("table %s: snapshot %d is not in the table's metadata: cannot roll back to %d", name, id, target)
		}
		if !ours(s) {
			return fmt.Errorf("table %s: snapshot %d (summary %v) was not committed by the interrupted publish: not rolling it back; "+
				"something else wrote to the table since the last complete publish", name, id, s.Summary)
		}
		drop = append(drop, id)
		if s.ParentSnapshotID == nil {
			if target != 0 {
				return fmt.Errorf("table %s: snapshot %d of the last complete publish is not an ancestor of the current snapshot %d", name, target, cur)
			}
			break
		}
		id = *s.ParentSnapshotID
	}
	if len(drop) == 0 {
		return nil
	}
	var ref table.Update = table.NewRemoveSnapshotRefUpdate(table.MainBranch)
	if target != 0 {
		ref = table.NewSetSnapshotRefUpdate(table.MainBranch, target, table.BranchRef, 0, 0, 0)
	}
	c := cur
	_, _, err := cat.CommitTable(ctx, tbl.Identifier(), []table.Requirement{table.AssertRefSnapshotID(table.MainBranch, &c)},
		[]table.Update{ref, table.NewRemoveSnapshotsUpdate(drop, false)})
	if err != nil {
		if isCommitConflict(err) {
			return fmt.Errorf("%w: table %s moved while rolling back snapshot %d: %v", ErrConflict, name, cur, err)
		}
		return fmt.Errorf("table %s: rolling back from snapshot %d to %d: %w", name, cur, target, err)
	}
	return nil
}

func sameSnapshotIDs(a, b map[string]int64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

func (s *store) readJournal(ctx context.Context, id string) (*Journal, bool, error) {
	b, _, found, err := s.get(ctx, journalPrefix+id+".json")
	if err != nil || !found {
		return nil, false, err
	}
	j := &Journal{}
	if err := json.Unmarshal(b, j); err != nil {
		return nil, false, fmt.Errorf("%s: %w", s.loc.URL(journalPrefix+id+".json"), err)
	}
	return j, true, nil
}

// closeJournal records the journal's final state and removes its
// in-flight marker.
func (s *store) closeJournal(ctx context.Context, j *Journal, state string) error {
	j.State = state
	j.EndedAt = time.Now().UTC()
	if err := s.writeJSON(ctx, journalPrefix+j.PublishID+".json", j, false, ""); err != nil {
		return err
	}
	return s.remove(ctx, inflightPrefix+j.PublishID+".json")
}

// isCommitConflict tells whether a catalog commit lost a compare-and-swap:
// the catalog's ErrCommitFailed (the SQL catalog's metadata-location
// check, a REST 409), or a requirement that failed on the catalog's
// current metadata (iceberg-go reports those as "requirement failed: …"
// without the sentinel on a first attempt).
func isCommitConflict(err error) bool {
	return errors.Is(err, table.ErrCommitFailed) || strings.Contains(err.Error(), "requirement failed")
}
