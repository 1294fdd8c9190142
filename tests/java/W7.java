// REAL-CLIENTS W7: AEM's smart crop migration script, in plain Java (JDK only). It posts <Request> documents in the
// 2017-10-29-beta namespace to /scene7/api/IpsApiService as text/xml, the parameters written as JAXB writes them
// (a prefixed, indented fragment), and reads each reply as the script does: a DOM without namespace awareness and
// root-anchored XPaths. Flow: getCompanyInfo -> searchAssetsByMetadata (file_name Equals, folder_path Contains) ->
// getAssociatedAssets (sub-asset handles by name) -> updateSmartCrops, which must report every crop updated.
//
// usage: java W7.java SERVICE_URL USER PASSWORD COMPANY_HANDLE "ASSET_PATH,Name:leftN=..|topN=..|widthN=..|heightN=..,..."
// Prints key=value lines; exits 1 (with the message) when the script would have thrown.

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class W7 {
    static final String NS = "http://www.scene7.com/IpsApi/xsd/2017-10-29-beta";
    static String url, user, password;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        url = args[0];
        user = args[1];
        password = args[2];
        String companyHandle = args[3];
        String[] data = args[4].split(",");

        Document info = call(param("getCompanyInfoParam", "<ns2:companyHandle>" + companyHandle + "</ns2:companyHandle>"));
        String root = text(info, "/getCompanyInfoReturn/companyInfo/rootPath");
        System.out.println("rootPath=" + root);

        String assetPath = root + data[0].substring(data[0].indexOf("/") + 1);
        String folderPath = assetPath.substring(0, assetPath.lastIndexOf("/"));
        String assetName = assetPath.substring(assetPath.lastIndexOf("/") + 1);
        Document found = call(param("searchAssetsByMetadataParam",
            "<ns2:companyHandle>" + companyHandle + "</ns2:companyHandle>\n"
            + "    <ns2:metadataConditionArray>\n"
            + "        <ns2:items>\n            <ns2:fieldHandle>file_name</ns2:fieldHandle>\n"
            + "            <ns2:op>Equals</ns2:op>\n            <ns2:value>" + assetName + "</ns2:value>\n        </ns2:items>\n"
            + "        <ns2:items>\n            <ns2:fieldHandle>folder_path</ns2:fieldHandle>\n"
            + "            <ns2:op>Contains</ns2:op>\n            <ns2:value>" + folderPath + "</ns2:value>\n        </ns2:items>\n"
            + "    </ns2:metadataConditionArray>"));
        String assetHandle = text(found, "/searchAssetsByMetadataReturn/assetSummaryArray/items/assetHandle");
        System.out.println("assetHandle=" + assetHandle);

        Document associated = call(param("getAssociatedAssetsParam",
            "<ns2:companyHandle>" + companyHandle + "</ns2:companyHandle>\n"
            + "    <ns2:assetHandle>" + assetHandle + "</ns2:assetHandle>"));
        Map<String, String> subAssetHandles = new LinkedHashMap<>();
        NodeList items = (NodeList) xpath().compile("/getAssociatedAssetsReturn/subAssetArray/items")
            .evaluate(associated, XPathConstants.NODESET);
        for (int i = 0; i < items.getLength(); i++) {
            Element item = (Element) items.item(i);
            subAssetHandles.put(item.getElementsByTagName("name").item(0).getTextContent(),
                item.getElementsByTagName("subAssetHandle").item(0).getTextContent());
        }
        subAssetHandles.forEach((name, handle) -> System.out.println("subAsset." + name + "=" + handle));

        StringBuilder updates = new StringBuilder();
        int sent = 0;
        for (int i = 1; i < data.length; i++) {
            String[] crop = data[i].split(":");
            Map<String, String> bounds = new LinkedHashMap<>();
            for (String bound : crop[1].split("\\|")) {
                String[] pair = bound.split("=");
                bounds.put(pair[0], pair[1]);
            }
            updates.append("        <ns2:items>\n")
                .append("            <ns2:ownerHandle>").append(assetHandle).append("</ns2:ownerHandle>\n")
                .append("            <ns2:subAssetHandle>").append(subAssetHandles.get(crop[0])).append("</ns2:subAssetHandle>\n")
                .append("            <ns2:cropRect>\n");
            for (String name : new String[] {"leftN", "topN", "widthN", "heightN"}) {
                updates.append("                <ns2:").append(name).append(">")
                    .append(Double.parseDouble(bounds.get(name))).append("</ns2:").append(name).append(">\n");
            }
            updates.append("            </ns2:cropRect>\n        </ns2:items>\n");
            sent++;
        }
        Document updated = call(param("updateSmartCropsParam",
            "<ns2:companyHandle>" + companyHandle + "</ns2:companyHandle>\n"
            + "    <ns2:updateArray>\n" + updates + "    </ns2:updateArray>"));
        int totalUpdated = Integer.parseInt(text(updated, "/updateSmartCropsReturn/successCount"));
        System.out.println("successCount=" + totalUpdated);
        if (totalUpdated != sent) {
            System.out.println("Updated count : " + totalUpdated + ", doesnt match total count : " + sent);
            System.exit(1);
        }

        Document after = call(param("getAssociatedAssetsParam",
            "<ns2:companyHandle>" + companyHandle + "</ns2:companyHandle>\n"
            + "    <ns2:assetHandle>" + assetHandle + "</ns2:assetHandle>"));
        NodeList crops = (NodeList) xpath().compile("/getAssociatedAssetsReturn/subAssetArray/items")
            .evaluate(after, XPathConstants.NODESET);
        for (int i = 0; i < crops.getLength(); i++) {
            Element item = (Element) crops.item(i);
            System.out.println("cropRect." + item.getElementsByTagName("name").item(0).getTextContent() + "="
                + item.getElementsByTagName("leftN").item(0).getTextContent() + ","
                + item.getElementsByTagName("topN").item(0).getTextContent() + ","
                + item.getElementsByTagName("widthN").item(0).getTextContent() + ","
                + item.getElementsByTagName("heightN").item(0).getTextContent());
        }
    }

    // A parameter element as JAXB's formatted fragment output writes it: its own prefixed namespace, indented.
    static String param(String name, String body) {
        return "<ns2:" + name + " xmlns:ns2=\"" + NS + "\">\n    " + body + "\n</ns2:" + name + ">";
    }

    static Document call(String param) throws Exception {
        String authHeader = "<ns2:authHeader xmlns:ns2=\"" + NS + "\">\n"
            + "    <ns2:user>" + user + "</ns2:user>\n    <ns2:password>" + password + "</ns2:password>\n"
            + "    <ns2:appName>Experiencing AEM</ns2:appName>\n    <ns2:appVersion>1.0</ns2:appVersion>\n"
            + "    <ns2:faultHttpStatusCode>200</ns2:faultHttpStatusCode>\n</ns2:authHeader>";
        String body = "<Request xmlns=\"" + NS + "\">" + authHeader + param + "</Request>";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "text/xml")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            System.out.println("Response code - " + response.statusCode());
            System.exit(1);
        }
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
    }

    static XPath xpath() {
        return XPathFactory.newInstance().newXPath();
    }

    static String text(Document doc, String expression) throws Exception {
        Element element = (Element) xpath().compile(expression).evaluate(doc, XPathConstants.NODE);
        if (element == null) {
            System.out.println("nothing at " + expression + " in: " + new String(doc.getDocumentElement().getTextContent()));
            System.exit(1);
        }
        return element.getTextContent();
    }
}
