"""Reports as data: the document model every format renders and the registry of sections."""
