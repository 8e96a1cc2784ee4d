using Cake.Core.Annotations;

// Scripts that load the addin get the settings and result types without a using directive.
[assembly: CakeNamespaceImport("Cake.Orchestrator")]
