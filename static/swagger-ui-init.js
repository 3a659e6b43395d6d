// Starts Swagger UI on /docs (a file, not an inline script: the page's CSP allows only files
// of this server). The OpenAPI document's URL comes from this script tag's data-openapi-url.
(function () {
  "use strict";
  var url = document.currentScript.dataset.openapiUrl;
  window.addEventListener("DOMContentLoaded", function () {
    window.ui = SwaggerUIBundle({
      url: url,
      dom_id: "#swagger-ui",
      layout: "BaseLayout",
      deepLinking: true,
      showExtensions: true,
      showCommonExtensions: true,
      // No badge from validator.swagger.io: the page loads nothing from elsewhere.
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis],
    });
  });
})();
