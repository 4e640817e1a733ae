package main

import "github.com/spf13/cobra"

// extraCommands are the commands beyond the foundation (inspect, export).
func (a *app) extraCommands() []*cobra.Command {
	return []*cobra.Command{
		a.inspectCmd(),
		a.exportCmd(),
		a.reportCmd(),
		a.serveCmd(),
		a.warehouseCmd(),
	}
}
