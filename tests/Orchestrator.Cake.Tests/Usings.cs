global using Microsoft.VisualStudio.TestTools.UnitTesting;
global using Orchestrator.Core.Tests.Support;
global using Orchestrator.Tasks.Tests.Support;
