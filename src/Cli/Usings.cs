global using Orchestrator.Core.Outcomes;
