/* Words TinyMCE's zh_CN pack leaves in English (loaded after the pack). */
tinymce.addI18n("zh_CN", { Blockquote: "引用" });
