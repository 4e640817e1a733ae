package main

import (
	"context"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
)

// openWarehouse opens the committed state of --warehouse for a read
// command; a path that holds no warehouse is an error (exit 1) naming it,
// never an empty result.
func (a *app) openWarehouse(ctx context.Context) (*query.DB, error) {
	root, err := a.readRoot(ctx)
	if err != nil {
		return nil, err
	}
	return query.Open(ctx, root, a.registry)
}

// warehouseCmd is `dtm warehouse ls | check | rm`: the committed sources
// and a consistency check (read-only), and the removal of sources.
func (a *app) warehouseCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "warehouse ls|check|rm", Short: "Look at the warehouse and repair it: its sources (ls), its consistency (check), removing a source (rm)"}
	cmd.AddCommand(a.warehouseRmCmd())
	cmd.AddCommand(&cobra.Command{
		Use: "ls", Short: "List the committed sources: dataset, job source, file, hash, rows, run, generation", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := sinks.Exists(a.warehouse); err != nil {
				return err
			}
			m, err := sinks.ReadManifest(a.warehouse)
			if err != nil {
				return err
			}
			t := &sinks.Table{Columns: []string{"dataset", "source", "file", "sheet", "hash", "rows_in", "rows_written", "rows_rejected", "files", "run_id", "status"}}
			add := func(s *sinks.Source, status string) {
				h := s.Hash
				if len(h) > 12 {
					h = h[:12]
				}
				t.Rows = append(t.Rows, []any{s.Dataset, s.JobSource, s.File, s.Sheet, h, s.RowsIn, s.RowsWritten, s.RowsRejected, int64(len(s.Files)), s.RunID, status})
			}
			for _, k := range sortedKeys(m.Sources) {
				add(m.Sources[k], "committed")
			}
			for _, k := range sortedKeys(m.Failed) {
				add(m.Failed[k], "failed (rejects only)")
			}
			fmt.Fprintf(a.stdout, "warehouse %s: generation %d, committed %s by run %s\n", a.warehouse, m.Generation, m.CommittedAt.Format("2006-01-02T15:04:05Z"), m.RunID)
			return printAligned(a.stdout, t)
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use: "check", Short: "Check the manifest against the files: missing and orphaned files, staging left over, ledger consistency (exit 1 on a problem)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			probs, err := sinks.Check(a.warehouse)
			if err != nil {
				return err
			}
			for _, p := range probs {
				fmt.Fprintf(a.stdout, "%s\t%s\t%s\n", p.Kind, p.Path, p.Detail)
			}
			if len(probs) > 0 {
				return exitError{code: 1, err: fmt.Errorf("%d problems in warehouse %s", len(probs), a.warehouse)}
			}
			if !a.quiet {
				fmt.Fprintf(a.stdout, "warehouse %s: consistent\n", a.warehouse)
			}
			return nil
		},
	})
	cmd.AddCommand(a.warehousePublishCmd())
	return cmd
}

func sortedKeys(m map[string]*sinks.Source) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
