// Joins the view's parts and exports the anywidget module (the last part of the joined module).
Object.assign(CanvasView.prototype, BoardPart, EmotionPart, FlowPart, InspectorPart, ChecksPart);

export default {
  render({ model, el }) {
    const view = new CanvasView(model, el);
    return () => view.destroy();
  },
};
