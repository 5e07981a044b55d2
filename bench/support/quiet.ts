/**
 * Imported before anything from lib/: the functions' log lines and metrics would drown the table, and the
 * stack process inherits this environment too. The tick row's children set their own (as deployed).
 */
Object.assign(process.env, {
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
