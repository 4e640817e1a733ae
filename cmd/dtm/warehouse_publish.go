package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// warehousePublishCmd is `dtm warehouse publish --to s3://… --catalog …`:
// the local warehouse's committed state as Iceberg tables (sinks/lake).
func (a *app) warehousePublishCmd() *cobra.Command {
	var to string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "publish --to s3://BUCKET/PREFIX [--catalog URI]",
		Short: "Publish the local warehouse as Apache Iceberg tables on S3-compatible storage (idempotent)",
		Long: "Uploads the committed Parquet files of --warehouse (unchanged) and registers them in one Iceberg table per\n" +
			"dataset (namespace dtm) plus rejects and rejects_failed, through the catalog --catalog (env DTM_CATALOG):\n" +
			"sqlite:PATH, postgres://USER@HOST/DB (the SQL catalog in PostgreSQL) or a REST http(s):// URL. Endpoint, region and credentials: AWS_ENDPOINT_URL, AWS_REGION,\n" +
			"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (path-style addressing when an endpoint is set).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				return usagef("--to s3://BUCKET/PREFIX is required")
			}
			if lake.IsObjectStore(a.warehouse) {
				return usagef("--warehouse must be the local warehouse to publish, not %s", a.warehouse)
			}
			res, err := lake.Publish(cmd.Context(), lake.PublishOptions{Root: a.warehouse, To: to, Catalog: a.catalog,
				Env: lake.EnvFrom(a.env.Get), Registry: a.registry, Log: a.log})
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			t := &sinks.Table{Columns: []string{"table", "files", "added", "removed", "uploaded", "snapshot_id", "committed"}}
			for _, tp := range res.Tables {
				t.Rows = append(t.Rows, []any{tp.Table, int64(tp.Files), int64(tp.Added), int64(tp.Removed), int64(tp.Uploaded), tp.SnapshotID, fmt.Sprint(tp.Committed)})
			}
			fmt.Fprintf(a.stdout, "published run %s of %s to %s (publish %s)\n", res.RunID, a.warehouse, res.Location, res.PublishID)
			return printAligned(a.stdout, t)
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "object-store location s3://BUCKET/PREFIX")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

// readRoot is the local directory a read command opens: --warehouse
// itself, or for an s3:// warehouse the local view of its last complete
// publish (lake.Materialize).
func (a *app) readRoot(ctx context.Context) (string, error) {
	if !lake.IsObjectStore(a.warehouse) {
		if err := sinks.Exists(a.warehouse); err != nil {
			return "", err
		}
		return a.warehouse, nil
	}
	v, err := lake.Materialize(ctx, lake.ReadOptions{Location: a.warehouse, Catalog: a.catalog, Env: lake.EnvFrom(a.env.Get), Registry: a.registry})
	if err != nil {
		return "", err
	}
	return v.Root, nil
}
