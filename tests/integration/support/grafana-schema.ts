import path from "node:path";

import ts from "typescript";

/**
 * Type-checks dashboard JSON texts against the types Grafana generates from its CUE schema
 * (@grafana/schema): the classic Dashboard kind that file provisioning loads, with each panel's
 * `options` and `fieldConfig.defaults.custom` typed by its plugin's published panelcfg types. Enum
 * members are compared by their JSON values. Returns the diagnostics per file, with JSON line numbers.
 */
export function typecheckDashboards(jsonByFile: Record<string, string>): Record<string, string[]> {
  const dir = path.resolve("bi/grafana/.typecheck");
  const header = [
    `import type { Dashboard, FieldConfig, FieldConfigSource, Panel } from "@grafana/schema";`,
    `import type * as BarGauge from "@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen";`,
    `import type * as Stat from "@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen";`,
    `import type * as Table from "@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen";`,
    `import type * as TimeSeries from "@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen";`,
    // JSON holds an enum member as its value: "multi" for TooltipDisplayMode.Multi.
    `type Json<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;`,
    `type Defaults<C> = Omit<FieldConfig, "custom"> & ([C] extends [never] ? { custom?: never } : { custom?: C });`,
    `type PanelOf<Type extends string, Options, Custom = never> = Omit<Panel, "type" | "options" | "fieldConfig"> & { type: Type; options: Options; fieldConfig: Omit<FieldConfigSource, "defaults"> & { defaults: Defaults<Custom> } };`,
    `type ProvisionedPanel = PanelOf<"timeseries", TimeSeries.Options, TimeSeries.FieldConfig> | PanelOf<"table", Table.Options, Table.FieldConfig> | PanelOf<"bargauge", BarGauge.Options> | PanelOf<"stat", Stat.Options>;`,
    `type ProvisionedDashboard = Omit<Dashboard, "panels"> & { panels: ProvisionedPanel[] };`,
    `export const dashboard = `,
  ];
  const sources = new Map(
    Object.entries(jsonByFile).map(([name, json]) => [
      path.join(dir, name),
      `${header.join("\n")}${json.trimEnd()} satisfies Json<ProvisionedDashboard>;\n`,
    ]),
  );
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
  host.readFile = (name) => sources.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = sources.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...sources.keys()], options, host);
  const result: Record<string, string[]> = {};
  for (const [file] of sources) {
    const name = path.basename(file);
    result[name] = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return message;
      const line = d.file.getLineAndCharacterOfPosition(d.start).line - (header.length - 1) + 1;
      return line >= 1 ? `JSON line ${line}: ${message}` : message;
    });
  }
  return result;
}
