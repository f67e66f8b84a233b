// AiEng PromptEngineering: one task (support-ticket classification with order-number extraction) done three ways —
// zero-shot, few-shot with semantic example selection (local MiniLM embeddings), and structured output.
// Offline it shows the rendered prompts, the selected examples and token and cost estimates per variant; with a model
// configured (AiEng__Chat__Provider / __Model / __ApiKey / __Endpoint) it runs each variant on a small labelled set and
// prints accuracy and cost side by side.
using AiEng.Samples.PromptEngineering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddPromptEngineeringSample(builder.Configuration, AppContext.BaseDirectory);
using var host = builder.Build();
await host.StartAsync();                              // validates the AiEng options: bad configuration stops here

var app = ActivatorUtilities.CreateInstance<PromptEngineeringApp>(host.Services, Console.Out);   // its pieces come from the container
await app.RunAsync(AppContext.BaseDirectory);
await host.StopAsync();
